"""Charts: a chart as one value with its caption (chart), the house style as a Plotly template
and the chart shapes (draw), the room tick labels take (tick_labels), the network and Sankey
layouts, and built charts cached per data version (cache). May import maillon.data.
"""
