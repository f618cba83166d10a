"""Streamlit helpers shared by the pages (the only part of stakemap that imports streamlit)."""
