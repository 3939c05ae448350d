-- Certificate numbers never collide between cooperatives, whatever receipt prefixes are reused. A number is
-- PREFIX-HGZ-YYYY-NNNNNN and its counter was kept per cooperative: when cooperative C renamed its prefix and D took
-- the old one, D's counter started again at 1 and its first pack met C's certificate of that number (a 500 on every
-- pack of D for the rest of the year). The series is now the number's own prefix and year, whichever cooperative holds
-- the prefix: D continues after C's last number, and the certificate_no primary key stays global. Each certificate
-- keeps the cooperative that issued it.
create table certificate_series (
    prefix  text not null,
    year    int  not null,
    last_no int  not null check (last_no > 0),
    primary key (prefix, year)
);

-- Seeded from every number on record, and from each cooperative's counter under its current prefix (certificates past
-- their 6 months may have been deleted, and their numbers must not come back).
insert into certificate_series (prefix, year, last_no)
select prefix, year, max(last_no) from (
    select split_part(certificate_no, '-HGZ-', 1) as prefix,
           split_part(split_part(certificate_no, '-HGZ-', 2), '-', 1)::int as year,
           split_part(split_part(certificate_no, '-HGZ-', 2), '-', 2)::int as last_no
    from certificates
    union all
    select p.receipt_prefix, c.year, c.last_no
    from certificate_counters c join cooperative_profiles p on p.cooperative_id = c.cooperative_id
) numbers
group by prefix, year;

drop table certificate_counters;
