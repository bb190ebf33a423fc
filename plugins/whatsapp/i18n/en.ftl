# WhatsApp: free text inside the 24-hour customer-service window, templates outside it.
channel-name = WhatsApp
wa-window-left = Window: { $duration } left
wa-subtitle-open = WhatsApp · customer-service window open
wa-hint-open = Reply on WhatsApp. Templates are in the toolbar.
wa-window-closed = Window closed: templates only
wa-subtitle-closed = WhatsApp · the 24-hour window closed { $duration } ago
wa-hint-closed = Send is off: the customer last wrote more than 24 hours ago ({ $duration } past the window), and WhatsApp then accepts only approved templates. Use a template from the toolbar; the window opens again when the customer answers.
wa-images = { $count ->
    [one] 1 image
   *[other] { $count } images
}
wa-mark-done = Mark done
wa-template = Template: { $name }
wa-send = Send
wa-type-first = Type a message before sending.
wa-window-has-closed = Not sent: the 24-hour customer-service window has closed; send an approved template instead.
wa-too-long = Not sent: WhatsApp takes at most { $max } characters; this has { $count }.
wa-not-sent = Not sent: { $reason }
wa-under-a-minute = less than a minute
wa-banner-closing = The customer-service window closes in { $duration }: answer now; after it, only templates go.
wa-banner-closed = The customer-service window is closed: only approved templates go until the customer writes again.
