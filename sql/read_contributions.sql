COPY (SELECT enrollment_id, period, base, employer_amount, personal_amount, paid_on FROM si_src.contribution) TO STDOUT
