SELECT enrollment_id, period, base, employer_amount, personal_amount, paid_on FROM si_src.contribution WHERE enrollment_id = ANY($1::bigint[])
