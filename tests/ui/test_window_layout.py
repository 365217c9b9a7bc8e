"""The first frame without Qt's namespace: the default docks, the desktop's colours, the keys
and the menu set after it, each as a user finds them (viewer.ui.qt_namespace)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from viewer import paths
from viewer.ui import qt_namespace
from viewer.ui.main_window import MainWindow
from viewer.ui.window_state import DEFAULT_RESULTS_WIDTH, DEFAULT_SIZE


def _new_window(qtbot) -> MainWindow:
    window = MainWindow(QSettings(str(paths.settings_path()), QSettings.Format.IniFormat))
    window.setProperty("quiet", True)
    qtbot.addWidget(window)
    return window


def _docks_the_long_way(window: MainWindow) -> QByteArray:
    """The default docks made with the calls DEFAULT_DOCKS stands for."""
    docks = (window.results_dock, window.bookmarks_dock, window.measures_dock)
    for dock in docks:
        window.removeDockWidget(dock)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.results_dock)
    for dock in docks[1:]:
        window.tabifyDockWidget(window.results_dock, dock)
    for dock in docks:
        dock.show()  # removing hid them
    window.results_dock.raise_()
    window.resizeDocks([window.results_dock], [DEFAULT_RESULTS_WIDTH], Qt.Orientation.Horizontal)
    return window.saveState()


def test_a_new_window_has_the_results_on_the_right_with_the_side_docks_as_tabs(qtbot, viewer_home):
    window = _new_window(qtbot)
    window.show()
    qtbot.waitExposed(window)

    def layout() -> tuple:
        return (
            window.dockWidgetArea(window.results_dock),
            window.tabifiedDockWidgets(window.results_dock),
            window.results_dock.isVisible() and not window.results_dock.visibleRegion().isEmpty(),
            window.bookmarks_dock.visibleRegion().isEmpty(),  # a tab behind the results
            abs(window.results_dock.width() - DEFAULT_RESULTS_WIDTH) <= 8,
        )

    wanted = (
        Qt.DockWidgetArea.RightDockWidgetArea,
        [window.bookmarks_dock, window.measures_dock],
        True,
        True,
        True,
    )
    assert window.size().toTuple() == DEFAULT_SIZE
    seen = layout()
    if seen != wanted:  # the docks changed: DEFAULT_DOCKS is made by the calls it stands for
        made = bytes(_docks_the_long_way(window).toBase64()).decode()
        raise AssertionError(f"{seen} != {wanted}; DEFAULT_DOCKS for these docks:\n{made}")


def test_the_first_frame_has_the_desktops_colours_as_last_seen_then_follows_a_change(qtbot, viewer_home):
    app = QApplication.instance()
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    settings.setValue("ui/system-dark", True)  # dark at the last start; this desktop is light
    from viewer.ui import theme

    assert theme.system_prefers_dark() is False
    try:
        assert theme.apply_theme(app, theme.ThemeChoice.SYSTEM, system_dark=True) is theme.ThemeChoice.DARK
        window = _new_window(qtbot)
        window.show()
        qtbot.waitUntil(lambda: app.property("theme") == "light", timeout=5_000)  # once the frame is painted
        assert QSettings(str(paths.settings_path()), QSettings.Format.IniFormat).value("ui/system-dark") in (
            False,
            "false",
        )
        window.close()
    finally:
        theme.apply_theme(app, theme.ThemeChoice.LIGHT)


def test_a_chosen_theme_is_kept_whatever_the_desktop_was(qtbot, viewer_home):
    from viewer.ui import theme

    app = QApplication.instance()
    settings = QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)
    settings.setValue("ui/theme", "dark")
    settings.setValue("ui/system-dark", False)
    try:
        theme.apply_theme(app, theme.ThemeChoice.DARK, system_dark=False)
        window = _new_window(qtbot)
        window.show()
        keys = Qt.TextInteractionFlag.TextSelectableByKeyboard
        qtbot.waitUntil(lambda: bool(window.article.textInteractionFlags() & keys), timeout=5_000)
        assert app.property("theme") == "dark"
        window.close()
    finally:
        theme.apply_theme(app, theme.ThemeChoice.LIGHT)


def test_once_shown_the_text_is_selectable_by_keys_and_copy_has_its_key(qtbot, viewer_home):
    window = _new_window(qtbot)
    assert window.commands.copy_action.shortcuts() == []  # not before the first frame
    window.show()
    flags = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    qtbot.waitUntil(lambda: window.article.textInteractionFlags() == flags, timeout=5_000)
    copy = window.commands.copy_action
    assert "Ctrl+C" in [k.toString() for k in copy.shortcuts()]
    assert copy.shortcutContext() == Qt.ShortcutContext.WidgetShortcut  # the views handle Ctrl+C
    aliases = [
        a for a in window.article.actions() if a.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
    ]
    assert sorted(a.shortcut().toString() for a in aliases) == ["Alt+Down", "Alt+Up"]


def test_a_right_click_in_the_text_opens_its_menu(qtbot, open_window):
    window = open_window()
    viewport = window.article.viewport()
    pos = QPoint(40, 40)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    menu = window.bookmark_workflows.article_menu
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert "Bookmark Selection…" in texts and "Bookmark This Paragraph…" in texts
    menu.close()
    assert event.type() == QEvent.Type.ContextMenu


def test_the_named_roles_are_qts(qtbot):
    role = Qt.ItemDataRole
    assert role.DisplayRole.value == qt_namespace.DISPLAY_ROLE
    assert role.DecorationRole.value == qt_namespace.DECORATION_ROLE
    assert role.ToolTipRole.value == qt_namespace.TOOL_TIP_ROLE
    assert role.ForegroundRole.value == qt_namespace.FOREGROUND_ROLE
    assert role.AccessibleTextRole.value == qt_namespace.ACCESSIBLE_TEXT_ROLE
    assert role.UserRole.value == qt_namespace.USER_ROLE
    assert qt_namespace.Qt.AlignmentFlag is Qt.AlignmentFlag  # the namespace itself, looked up
