"""What notification popups are on screen, read through the accessibility bus (AT-SPI) the way a
screen reader reads them: each popup's texts and its buttons with their places on screen, as
JSON. Run with the system's Python (Debian's python3-pyatspi) inside a session whose bus has
at-spi-bus-launcher on it, started before the notification server.

    /usr/bin/python3 popups.py notification-daemon
"""

import json
import sys

import pyatspi


def texts_and_buttons(node, out):
    role = node.getRole()
    if role == pyatspi.ROLE_LABEL and node.name:
        out["texts"].append(node.name)
    elif role == pyatspi.ROLE_PUSH_BUTTON and node.name:
        box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        if box.width > 0 and box.height > 0:
            out["buttons"][node.name] = [box.x + box.width // 2, box.y + box.height // 2]
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None:
            texts_and_buttons(child, out)


def main() -> None:
    desktop = pyatspi.Registry.getDesktop(0)
    popups = []
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None or app.name != sys.argv[1]:
            continue
        for j in range(app.childCount):
            window = app.getChildAtIndex(j)
            if window is None or not window.getState().contains(pyatspi.STATE_SHOWING):
                continue
            popup = {"texts": [], "buttons": {}}
            texts_and_buttons(window, popup)
            popups.append(popup)
    print(json.dumps(popups))


main()
