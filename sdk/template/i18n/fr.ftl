# Les mêmes identifiants et arguments en français (espace insécable avant : ; ? !).
channel-name = Mon canal
my-subtitle = Mon canal
my-mark-done = Marquer comme terminé
my-hint = Écrivez une réponse
my-send = Envoyer
my-not-sent = Non envoyé : { $reason }
