COPY (SELECT enrollment_id, period, base, employer_amount, personal_amount, paid_on FROM si_src.contribution WHERE ctid >= '(%ld,0)'::tid AND ctid < '(%ld,0)'::tid) TO STDOUT
