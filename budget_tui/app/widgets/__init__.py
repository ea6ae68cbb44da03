"""The app's widgets: the budget tree, the status line and the inputs that sit over them."""
