-- Rule: the price periods of one item at one establishment do not overlap.
SELECT 'canteen_price' AS table_name, b._row AS row_number, 'valid_from' AS column_name,
       b.valid_from::VARCHAR AS value,
       'canteen_price_overlap.overlap' AS problem,
       MAP {'start': a.valid_from::VARCHAR, 'item': b.item_id,
            'establishment': b.establishment_id} AS params
FROM stage.canteen_price AS a
JOIN stage.canteen_price AS b
    ON a.item_id = b.item_id AND a.establishment_id = b.establishment_id
   AND a.valid_from < b.valid_from AND b.valid_from <= a.valid_to
