# MMS: a multimedia message answered once by SMS.
channel-name = MMS
mms-images = { $count ->
    [0] No image
    [one] 1 image
   *[other] { $count } images
}
mms-reply-sent = Reply sent
mms-subtitle = Inbound MMS · { $images }
mms-hint = Reply by SMS (images cannot be sent); the reply closes the interaction.
mms-answered = This MMS was answered.
mms-send = Send SMS and close
