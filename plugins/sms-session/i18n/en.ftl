# SMS session mode: a conversation that lives until it goes quiet.
channel-name = SMS session
session-subtitle = SMS · session mode
session-send = Send
session-ended-refusal = The session has ended; the contact's next SMS opens a new one.
session-wait-for-transfer = Wait for the transfer's answer before writing.
session-unreachable-warning = { $number } is flagged as unable to receive SMS ({ $why }). Press Send again to send anyway, or schedule a callback.
session-flagged = flagged by the platform
session-message-not-delivered = “{ $excerpt }” was not delivered: { $reason }.
session-a-message-not-delivered = A message was not delivered: { $reason }.
session-open-only = Only an open session can be transferred.
session-agent-ended = The agent ended the session.
session-idle-hours = { $count ->
    [one] Session ended: no message for 1 hour.
   *[other] Session ended: no message for { $count } hours.
}
session-idle-minutes = { $count ->
    [one] Session ended: no message for 1 minute.
   *[other] Session ended: no message for { $count } minutes.
}
session-idle-seconds = { $count ->
    [one] Session ended: no message for 1 second.
   *[other] Session ended: no message for { $count } seconds.
}
session-hint = Session mode: the contact's SMS join this conversation. It ends after { $idle } without messages.
session-transfer-pending = Transfer to { $name } pending
session-waiting-hint = Waiting for the transfer's answer.
session-ended = Session ended
session-ended-hint = { $reason } Press Done to close.
session-cannot-receive = Cannot receive SMS: { $why }
session-not-delivered = { $count ->
    [one] 1 not delivered
   *[other] { $count } not delivered
}
session-transfer-tooltip = Hand this session to a colleague, a queue or a skill
session-transfer-waiting = A transfer is waiting for an answer
session-transfer-ended = The session has ended
session-end = End session
session-end-tooltip = End the conversation; Done closes it
session-done = Done
