-- Outcomes: the financial proxies of the SROI view, with the indicator labels. No parameters.
SELECT p.indicator_id, i.label_fr, i.label_en, p.low_eur, p.central_eur, p.high_eur, p.basis,
       p.provenance
FROM sroi_proxy AS p
JOIN indicator AS i USING (indicator_id)
ORDER BY i.sort_order
