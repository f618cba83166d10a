"""Facilitator sign-in (room mode only): the passcode unlocks every page in this session."""

from stakemap.ui.room.access import login_page

login_page()
