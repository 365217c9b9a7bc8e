"""The Qt front: main window, district tree, article pane, search panel, background tasks."""
