"""What each page shows, without Streamlit: one module per page, named like the page, its URL and
its SQL files, plus `shared` for what several pages use. May import maillon.data,
maillon.database (taxonomies) and maillon.charts.
"""
