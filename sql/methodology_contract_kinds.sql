-- Methodology: the legal kinds of contract, with what each means.
SELECT contract_kind_id, label_fr, label_en, description_fr, description_en
FROM contract_kind
ORDER BY sort_order
