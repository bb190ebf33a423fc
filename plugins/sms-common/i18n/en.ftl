# Words every SMS-family channel (page mode, session mode, MMS) shares.
sms-type-before-sending = Type a reply before sending.
sms-not-sent = The reply was not sent: { $reason }
sms-one-reply-only = This interaction takes one reply and was already answered.
sms-mark-done = Mark done
sms-consult = Consult
sms-consult-tooltip = Ask a colleague by instant message, inside this interaction
sms-consult-ended = The conversation has ended
sms-customer-language = Customer language: { $language }
sms-disposition = Disposition: { $label }
sms-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
sms-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
sms-seconds = { $count ->
    [one] 1 second
   *[other] { $count } seconds
}
sms-transfer = Transfer
sms-transfer-to-contact = { $name } is a contact; transfer to an agent, a queue, a skill, a group or a routing point.
sms-transfer-requested = Transfer to { $name } requested.
sms-transfer-not-requested = The transfer to { $name } was not requested: { $reason }
sms-transfer-accepted = { $name } accepted the transfer.
sms-transfer-rejected = { $name } rejected the transfer.
sms-transfer-rejected-because = { $name } rejected the transfer: { $reason }
sms-transfer-unanswered-interaction = { $name } did not answer the transfer in time; the interaction stays with you.
sms-transfer-unanswered-session = { $name } did not answer the transfer in time; the session stays with you.
