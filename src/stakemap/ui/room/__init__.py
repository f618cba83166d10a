"""The room's pages: who may enter (access), the facilitator's Workshop page (facilitator),
what the projector and the phones show (screen), a phone's Join page (join), and the handout
downloads (handouts). What they may do is checked by :mod:`stakemap.room`, on the server.
"""
