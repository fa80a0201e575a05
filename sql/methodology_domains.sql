-- Methodology: the service domains bought through prison markets, with what each covers.
SELECT domain_id, label_fr, label_en, description_fr, description_en
FROM service_domain
ORDER BY sort_order
