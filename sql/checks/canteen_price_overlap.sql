-- Rule: the price periods of one item at one establishment do not overlap.
-- Fix: end the earlier price period (valid_to) the day before the next one starts (valid_from).
SELECT 'canteen_price' AS table_name, b._row AS row_number, 'valid_from' AS column_name,
       b.valid_from::VARCHAR AS value,
       'period overlaps the one starting ' || a.valid_from || ' for ' || b.item_id || ' at '
           || b.establishment_id AS problem
FROM stage.canteen_price AS a
JOIN stage.canteen_price AS b
    ON a.item_id = b.item_id AND a.establishment_id = b.establishment_id
   AND a.valid_from < b.valid_from AND b.valid_from <= a.valid_to
