-- Methodology: where an operator's result can go, by category; is_returned marks the categories
-- counted in the headline "returned to reinsertion and families".
SELECT
    d.destination_id,
    d.label_fr,
    d.label_en,
    c.category_id,
    c.label_fr AS category_fr,
    c.label_en AS category_en,
    c.is_returned
FROM destination AS d
JOIN destination_category AS c USING (category_id)
ORDER BY c.sort_order, d.sort_order
