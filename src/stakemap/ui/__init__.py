"""The pages' Streamlit parts: the session and its per-version results (session), the map
picker (maps), the Map page's lens view (mapview), the Network page (netpage), the Plan page
and a plan followed (plan, progress), the Data page's import and editors (importer, editors,
undo), the downloads (downloads), plain-text output of user text (text), the server's gate
(guard) and the room's pages (room/).

The only package that imports streamlit; may import every layer below it
(docs/architecture.md).
"""
