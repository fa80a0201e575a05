-- Methodology: the outcome indicators, their unit, and whether they are yearly headcounts (never
-- summed across years).
SELECT indicator_id, label_fr, label_en, unit, is_headcount
FROM indicator
ORDER BY sort_order
