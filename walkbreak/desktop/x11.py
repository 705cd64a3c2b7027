"""Seconds since the last input on an X11 display, from the MIT-SCREEN-SAVER extension (libXss),
called in-process through ctypes."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


_LIBRARIES: list[tuple[ctypes.CDLL, ctypes.CDLL] | None] = []
"""libX11 and libXss, loaded once."""
_ONE_AT_A_TIME = threading.Lock()
"""Xlib is asked from worker threads; its global state is not safe for two at once."""


def _load(name: str, soname: str) -> ctypes.CDLL | None:
    # The soname first: find_library runs ldconfig (and maybe a compiler) as child processes.
    try:
        return ctypes.CDLL(soname)
    except OSError:
        pass
    found = ctypes.util.find_library(name)
    try:
        return ctypes.CDLL(found) if found else None
    except OSError:
        return None


def _x_libraries() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    if not _LIBRARIES:
        xlib, xss = _load("X11", "libX11.so.6"), _load("Xss", "libXss.so.1")
        if xlib is None or xss is None:
            _LIBRARIES.append(None)
            return None
        xlib.XInitThreads()  # before any other Xlib call: this process uses it from threads
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        xlib.XFree.argtypes = [ctypes.c_void_p]
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_XScreenSaverInfo),
        ]
        _LIBRARIES.append((xlib, xss))
    return _LIBRARIES[0]


def idle_seconds(display_name: str) -> float | None:
    """Seconds since the last input on `display_name`; None without the libraries, the display
    or the extension.

    The display is opened for each question and closed again: a kept connection to an X server
    that goes away ends the process in Xlib's default I/O error handler.
    """
    with _ONE_AT_A_TIME:
        libraries = _x_libraries()
        return None if libraries is None else _idle_seconds(*libraries, display_name)


def _idle_seconds(xlib: ctypes.CDLL, xss: ctypes.CDLL, display_name: str) -> float | None:
    display = xlib.XOpenDisplay(display_name.encode())
    if not display:
        return None
    try:
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(display, ctypes.byref(event), ctypes.byref(error)):
            return None
        info = xss.XScreenSaverAllocInfo()
        try:
            if not xss.XScreenSaverQueryInfo(display, xlib.XDefaultRootWindow(display), info):
                return None
            return float(info.contents.idle) / 1000
        finally:
            xlib.XFree(info)
    finally:
        xlib.XCloseDisplay(display)
