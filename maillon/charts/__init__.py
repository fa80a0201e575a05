"""The house style of every chart (draw), the network layout, and built charts cached per data
version. May import maillon.data.
"""
