"""Actions declared as data: what each command is called, its keys, its tip, what it runs and
when it is enabled — and the menus built from those declarations.

A window lists its `ActionSpec`s and its `MenuSpec`s in one place, so a reader sees every
command and shortcut at a glance, and enabling follows one rule (`ActionSet.refresh`) instead
of a hand-written update per action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

Shortcut = QKeySequence.StandardKey | str


@dataclass(frozen=True)
class ActionSpec:
    """One command of a window. `group` makes it one checkable choice among the actions
    sharing that group name; `enabled_when` is asked again on every `ActionSet.refresh`."""

    name: str
    text: str
    tip: str
    run: Callable[[], object]
    shortcuts: Sequence[Shortcut] = ()
    enabled_when: Callable[[], bool] | None = None
    group: str | None = None
    role: QAction.MenuRole | None = None


def menu_text(text: str) -> str:
    """`text` as a menu entry, button or action shows it: a name's "&" ("Diplomacy &
    treaties") stays an ampersand instead of underlining the next letter."""
    return text.replace("&", "&&")


SEPARATOR = None
"""In a menu's entries: a separator line."""


@dataclass(frozen=True)
class SubmenuSpec:
    """A submenu: fixed entries, or `fill` to build its entries each time it opens (recent
    files, categories…)."""

    name: str
    title: str
    entries: Sequence[str | None] = ()
    fill: Callable[[QMenu], None] | None = None
    tip: str = ""
    enabled_when: Callable[[], bool] | None = None


@dataclass(frozen=True)
class MenuSpec:
    """A menu of the menu bar; entries are action names, SEPARATOR or submenus."""

    name: str
    title: str
    entries: Sequence[str | SubmenuSpec | None] = field(default_factory=tuple)


class ActionSet:
    """The QActions of a window, built from specs, by name."""

    def __init__(self, owner: QWidget, specs: Iterable[ActionSpec]) -> None:
        self.owner = owner
        self._actions: dict[str, QAction] = {}
        self._rules: list[tuple[QAction | QMenu, Callable[[], bool]]] = []
        self._groups: dict[str, QActionGroup] = {}
        self.menus: dict[str, QMenu] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: ActionSpec) -> QAction:
        if spec.name in self._actions:
            raise ValueError(f"two actions are named {spec.name!r}")
        action = QAction(spec.text, self.owner)
        action.setToolTip(spec.tip)
        action.setStatusTip(spec.tip)
        if spec.shortcuts:
            keys = [QKeySequence(key) for key in spec.shortcuts]
            action.setShortcuts([key for i, key in enumerate(keys) if key not in keys[:i]])
        if spec.role is not None:
            action.setMenuRole(spec.role)
        if spec.group is not None:
            group = self._groups.get(spec.group)
            if group is None:
                group = self._groups[spec.group] = QActionGroup(self.owner)
            action.setCheckable(True)
            group.addAction(action)
        run = spec.run
        action.triggered.connect(lambda _checked=False: run())
        if spec.enabled_when is not None:
            self._rules.append((action, spec.enabled_when))
        self.owner.addAction(action)  # shortcuts work wherever the focus is in the window
        self._actions[spec.name] = action
        return action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __contains__(self, name: object) -> bool:
        return name in self._actions

    def names(self) -> list[str]:
        return list(self._actions)

    def check(self, name: str) -> None:
        """Tick one choice of a group (the others are unticked by the group)."""
        self._actions[name].setChecked(True)

    def refresh(self) -> None:
        """Enable each action and submenu as its rule says now."""
        for item, rule in self._rules:
            item.setEnabled(bool(rule()))

    def build_menus(self, bar: QMenuBar, menus: Iterable[MenuSpec]) -> None:
        for spec in menus:
            menu = bar.addMenu(spec.title)
            self.menus[spec.name] = menu
            self._fill(menu, spec.entries)
        self.refresh()

    def _fill(self, menu: QMenu, entries: Iterable[str | SubmenuSpec | None]) -> None:
        for entry in entries:
            if entry is SEPARATOR:
                menu.addSeparator()
            elif isinstance(entry, SubmenuSpec):
                submenu = menu.addMenu(entry.title)
                submenu.setToolTip(entry.tip)
                submenu.setToolTipsVisible(True)
                self.menus[entry.name] = submenu
                if entry.fill is not None:
                    fill = entry.fill
                    submenu.aboutToShow.connect(lambda m=submenu, f=fill: f(m))
                else:
                    self._fill(submenu, entry.entries)
                if entry.enabled_when is not None:
                    self._rules.append((submenu, entry.enabled_when))
            else:
                menu.addAction(self._actions[entry])
