-- Methodology: the kinds of money behind a contract, who pays each, and what it is. The first,
-- administration, is the market value; the others are shown beside it, never added.
WITH payers AS (
    SELECT payer_group_id,
           string_agg(label_fr, ', ' ORDER BY sort_order) AS payers_fr,
           string_agg(label_en, ', ' ORDER BY sort_order) AS payers_en
    FROM payer
    GROUP BY payer_group_id
)
SELECT g.payer_group_id, g.label_fr, g.label_en, g.description_fr, g.description_en,
       p.payers_fr, p.payers_en
FROM payer_group AS g
LEFT JOIN payers AS p USING (payer_group_id)
ORDER BY g.sort_order
