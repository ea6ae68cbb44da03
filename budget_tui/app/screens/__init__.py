"""The app's screens: the budget view and the small dialogs over it."""
