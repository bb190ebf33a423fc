# Every word of the channel that people read, in English (the fallback language).
channel-name = My channel
my-subtitle = My channel
my-mark-done = Mark done
my-hint = Type a reply
my-send = Send
my-not-sent = Not sent: { $reason }
