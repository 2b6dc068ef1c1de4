{#-
    Generic test seg_sample_covers_population(model, population, size_var)
    For a mart showing a hash sample of each case's customers (seg_hash_sample): fails with a row per
    case whose sample is not about min(population, <size_var of the case's spec>) customers (within
    20% + 10: a hash sample's size varies a little), and a row per sampled customer missing from
    `population` or in another segment there.
-#}
{% test seg_sample_covers_population(model, population, size_var) %}

with

wanted as (
    {%- for case_name in customer_segmentation.seg_cases() %}
    select '{{ case_name }}' as case_name, {{ customer_segmentation.seg_spec(case_name)[size_var] | int }} as sample_size
    {%- if not loop.last %} union all{% endif %}
    {%- endfor %}
),

population_sizes as (
    select case_name, count(*) as customers from {{ population }} group by case_name
),

sample_sizes as (
    select case_name, count(*) as customers from {{ model }} group by case_name
),

size_failures as (
    select
        wanted.case_name,
        cast(null as varchar) as customer_id,
        'sample of ' || cast(coalesce(sample_sizes.customers, 0) as varchar) || ' customers, expected about '
        || cast(least(wanted.sample_size, population_sizes.customers) as varchar) as failure
    from wanted
    inner join population_sizes on wanted.case_name = population_sizes.case_name
    left join sample_sizes on wanted.case_name = sample_sizes.case_name
    where
        abs(coalesce(sample_sizes.customers, 0) - least(wanted.sample_size, population_sizes.customers))
        > 0.2 * least(wanted.sample_size, population_sizes.customers) + 10
),

member_failures as (
    select
        sampled.case_name,
        sampled.customer_id,
        'not in the population with this segment' as failure
    from {{ model }} as sampled
    left join {{ population }} as members
        on
            sampled.case_name = members.case_name
            and sampled.customer_id = members.customer_id
            and sampled.segment_id = members.segment_id
    where members.customer_id is null
)

select * from size_failures
union all
select * from member_failures

{% endtest %}
