"""Join (hidden page): a participant's code and name, then the follow view and ratings."""

from stakemap.ui.room.join import join_page

join_page()
