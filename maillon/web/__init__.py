"""The Streamlit layer: session state and the URL, widgets, tables, chart panels. The only
subpackage that imports Streamlit; may import every other.
"""
