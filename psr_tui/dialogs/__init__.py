"""Modal dialogs: forms, pick one, confirm, conflict. Each returns a typed value."""
