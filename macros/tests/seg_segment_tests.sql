{% test seg_shares_sum_to_one(model, column_name, group_by, tolerance=0.000001) %}
  {#- Fails for every group whose shares do not add up to 1. -#}
  select {{ group_by }}, sum({{ column_name }}) as total_share
  from {{ model }}
  group by {{ group_by }}
  having abs(sum({{ column_name }}) - 1) > {{ tolerance }}
{% endtest %}


{% test seg_rows_accounted_for(model, case_column='case_name', id_column='customer_id') %}
  {#- Every input customer of every case is accounted for exactly once. Fails for every case where
      the input rows differ from rows assigned plus rows quarantined, or the assigned ids are not
      the usable input ids: compared by a sum of 64-bit id hashes (seg_hash_number), so a customer
      assigned twice or not at all fails without a join, sort or group-by over the customers.
      Together with the features models' unique test on usable ids this proves the model's
      (case, id) pairs unique. -#}
  {%- set cases = customer_segmentation.seg_cases() -%}
  with counts as (
    {% for case_name in cases %}
      {%- set spec = customer_segmentation.seg_spec(case_name) %}
      {%- set input_id = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) %}
      {#- counted from what the case's source holds (its features model when it names no source) #}
      select
        '{{ case_name }}' as case_name,
        (select count(*) from {{ customer_segmentation.seg_input_relation(case_name) }} as input) as input_rows,
        (select count(*) from {{ ref('segment_quarantine') }} where case_name = '{{ case_name }}') as quarantined_rows,
        assigned.assigned_rows,
        (
          select sum({{ customer_segmentation.seg_hash_number('cast(usable.' ~ input_id ~ ' as varchar)') }})
          from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
        ) as usable_id_checksum,
        assigned.assigned_id_checksum
      from (
        select
          count(*) as assigned_rows,
          sum({{ customer_segmentation.seg_hash_number('cast(' ~ id_column ~ ' as varchar)') }}) as assigned_id_checksum
        from {{ model }}
        where {{ case_column }} = '{{ case_name }}'
      ) as assigned
      {% if not loop.last %}union all{% endif %}
    {%- endfor %}
  )

  select *
  from counts
  where
    input_rows != assigned_rows + quarantined_rows
    or usable_id_checksum is distinct from assigned_id_checksum
{% endtest %}


{% test seg_scored_by_current_model(model, column_name, case_column='case_name') %}
  {#- Fails for every case with rows whose model id (column_name) is not the case's current model,
      null included. Profiles label a case's segments with that one id, and segment_summary
      counts only its rows. -#}
  {%- for case_name in customer_segmentation.seg_cases() %}
    select
      '{{ case_name }}' as case_name,
      count(*) as rows_by_another_model
    from {{ model }}
    where
      {{ case_column }} = '{{ case_name }}'
      and {{ column_name }} is distinct from (select model_id from {{ customer_segmentation.seg_current_model(case_name) }} limit 1)
    having count(*) > 0
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endtest %}


{% test seg_every_segment_used(model, case_column='case_name') %}
  {#- Fails for every fitted segment that no customer is assigned to. -#}
  with used as (
    -- a handful of groups, so one hash aggregate over the customers, no join of them
    select distinct {{ case_column }} as case_name, segment_id
    from {{ model }}
  )

  select segments.case_name, segments.segment_id
  from {{ ref('int_segments') }} as segments
  left join used
    on segments.case_name = used.case_name and segments.segment_id = used.segment_id
  where segments.is_current and used.segment_id is null
{% endtest %}


{% test seg_unique_combination(model, columns) %}
  {#- Fails for every combination of `columns` that occurs more than once. -#}
  select {{ columns | join(', ') }}, count(*) as occurrences
  from {{ model }}
  group by {{ columns | join(', ') }}
  having count(*) > 1
{% endtest %}



{% test seg_cases_built(model) %}
  {#- Fails (an error that quotes each problem) when a case of the run was not segmented: its settings or
      columns have a problem, or its fit failed (segment_cases). Every other case is built and tested. -#}
  {%- if execute -%}
    {%- set problems = run_query("select problem from " ~ model ~ " where problem is not null order by case_name") -%}
    {%- if problems.rows -%}
      {{ customer_segmentation.seg_fail(problems.columns[0].values() | join(' ')) }}
    {%- endif -%}
  {%- endif -%}
  select case_name, problem
  from {{ model }}
  where problem is not null
{% endtest %}
