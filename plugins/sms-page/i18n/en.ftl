# SMS page mode: one inbound SMS, one reply.
channel-name = SMS
page-subtitle = Inbound SMS · page mode
page-earlier = { $count ->
    [one] 1 earlier conversation
   *[other] { $count } earlier conversations
}
page-spelling = { $count ->
    [one] Spelling: 1 word to check
   *[other] Spelling: { $count } words to check
}
page-callback-scheduled = Callback scheduled
page-reply-sent = Reply sent
page-transfer-after-reply = The reply is sent: this interaction is done
page-transfer-waiting = A transfer is waiting for an answer
page-callback-hour = Call back in 1 h
page-callback-hour-tooltip = Schedule a callback to this number one hour from now
page-hint = One reply: sending it closes the interaction.
page-hint-greeting = One reply: sending it closes the interaction. { $shortcut } inserts a greeting.
page-answered = This SMS was answered; page mode allows one reply.
page-send = Send and close
page-callback-note = Asked for by SMS
page-callback-line = Callback to { $number } scheduled in one hour.
page-callback-failed = The callback was not scheduled: { $reason }
