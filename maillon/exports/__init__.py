"""Files that leave the app: images, the meeting deck and its basket, the PDF report, workbooks and
downloads. May import maillon.data, maillon.charts and maillon.figures.
"""
