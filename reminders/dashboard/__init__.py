"""The fieldwork dashboard: a round's progress and rates beside the messages sent, and the
trends across rounds. It lives in reminders, the app highest in the import order, because
it reads members (panels), completions (panels' disposition history) and messages."""
