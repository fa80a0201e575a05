-- Outcomes: the financial proxies of the SROI view, with the indicator labels and each proxy's
-- source (an illustrative proxy is an assumption: the page says « hypothèse »). No parameters.
SELECT p.indicator_id, i.label_fr, i.label_en, p.low_eur, p.central_eur, p.high_eur, p.basis,
       p.provenance, p.source_id, s.title AS source_title, s.publisher AS source_publisher,
       s.title_en AS source_title_en, s.publisher_en AS source_publisher_en,
       s.data_date AS source_date, s.url AS source_url
FROM sroi_proxy AS p
JOIN indicator AS i USING (indicator_id)
JOIN source AS s USING (source_id)
ORDER BY i.sort_order
