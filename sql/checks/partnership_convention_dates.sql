-- Rule: a partnership has both convention dates exactly when a convention is signed, and the
-- convention is renewed after its signature.
-- Fix: fill convention_signed_on and convention_renewal_on only when has_convention is true, with
-- the renewal after the signature.
SELECT 'association_partnership' AS table_name, _row AS row_number,
       'convention_renewal_on' AS column_name,
       coalesce(convention_renewal_on::VARCHAR, '') AS value,
       CASE WHEN has_convention AND (convention_signed_on IS NULL OR convention_renewal_on IS NULL)
                THEN 'a signed convention needs its signature and renewal dates'
            WHEN NOT has_convention
                 AND (convention_signed_on IS NOT NULL OR convention_renewal_on IS NOT NULL)
                THEN 'dates given for a partnership without a convention'
            ELSE 'renewal on or before the signature ' || convention_signed_on
       END AS problem
FROM stage.association_partnership
WHERE (has_convention AND (convention_signed_on IS NULL OR convention_renewal_on IS NULL))
   OR (NOT has_convention AND (convention_signed_on IS NOT NULL OR convention_renewal_on IS NOT NULL))
   OR convention_renewal_on <= convention_signed_on
