-- Methodology: the operator kinds, whether each belongs to the ESS, and its chart colour.
SELECT kind_id, label_fr, label_en, is_ess, kind_group, color
FROM operator_kind
ORDER BY sort_order
