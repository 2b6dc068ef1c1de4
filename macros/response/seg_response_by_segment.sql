{% macro seg_response_members(case_name, target_column, mean_columns=[]) %}
  {#-
    One row per usable customer of a case that has a current segment: customer_id (text, as in
    segment_assignments), model_id, segment_id, segment_name, target_value (the 0/1 target) and
    m_1.. (the `mean_columns` as doubles). The rows every response figure of a case is computed on,
    so the point estimates and their bootstrap (seg_lift_intervals) count the same customers.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features_model = customer_segmentation.seg_features_relation(case_name) -%}
  {%- set target = customer_segmentation.seg_column(features_model, target_column) -%}
  {%- set means = customer_segmentation.seg_columns(features_model, mean_columns) -%}
  select
    assignments.customer_id,
    assignments.model_id,
    assignments.segment_id,
    assignments.segment_name,
    cast(usable.{{ target }} as integer) as target_value
    {%- for column in means %},
      cast(usable.{{ column }} as double) as {{ adapter.quote('m_' ~ loop.index) }}
    {%- endfor %}
  from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
  {{ customer_segmentation.seg_join_assignments(case_name, 'usable') }}
{% endmacro %}


{% macro seg_response_by_segment(case_name, target_column, mean_columns=[]) %}
  {#-
    Response to a campaign per segment of a case: for every segment of the case's current
    assignments, the customers, the responders (target = 1), the response rate, the overall
    rate and the lift (segment rate / overall rate), the segment's share of all responders, and
    the mean of each of `mean_columns` (as mean_<column>). The target is a 0/1 column of the
    case's features model; only usable rows (quarantine_reason null) that have a segment count.
  -#}
  with members as (
    {{ customer_segmentation.seg_response_members(case_name, target_column, mean_columns) }}
  ),

  by_segment as (
    select
      model_id,
      segment_id,
      segment_name,
      count(*) as customers,
      count(*) filter (where target_value = 1) as responders
      {%- for column in mean_columns %},
        avg({{ adapter.quote('m_' ~ loop.index) }}) as {{ adapter.quote('m_' ~ loop.index) }}
      {%- endfor %}
    from members
    group by model_id, segment_id, segment_name
  ),

  overall as (
    select
      count(*) as customers,
      count(*) filter (where target_value = 1) as responders
    from members
  )

  select
    {{ customer_segmentation.seg_literal(case_name) }} as case_name,
    by_segment.model_id,
    by_segment.segment_id,
    by_segment.segment_name,
    by_segment.customers,
    by_segment.responders,
    by_segment.responders * 1.0 / by_segment.customers as response_rate,
    overall.responders * 1.0 / overall.customers as overall_response_rate,
    (by_segment.responders * 1.0 / by_segment.customers)
    / nullif(overall.responders * 1.0 / overall.customers, 0) as lift,
    by_segment.customers * 1.0 / overall.customers as customer_share,
    by_segment.responders * 1.0 / nullif(overall.responders, 0) as responder_share
    {%- for column in mean_columns %},
      by_segment.{{ adapter.quote('m_' ~ loop.index) }} as {{ adapter.quote('mean_' ~ column | lower) }}
    {%- endfor %}
  from by_segment
  cross join overall
{% endmacro %}


{% macro seg_targeting_action(lift_low, lift_high, suppress_below, push_above) %}
  {#-
    The targeting label of a segment from an interval of its lift: 'suppress' when the whole interval
    lies below suppress_below (lift_high < suppress_below), 'push' when it lies above push_above
    (lift_low > push_above), else 'neutral' (a null bound is 'neutral': no evidence either way).
    The same expression as both bounds labels a point estimate.
  -#}
  {%- set suppress_below = customer_segmentation.seg_number(suppress_below, 'seg_targeting_action: suppress_below') -%}
  {%- set push_above = customer_segmentation.seg_number(push_above, 'seg_targeting_action: push_above') -%}
  {%- if suppress_below < 0 or suppress_below > push_above -%}
    {{ exceptions.raise_compiler_error(
      "seg_targeting_action: the lift thresholds must satisfy 0 <= suppress_below <= push_above, got "
      ~ suppress_below ~ " and " ~ push_above ~ "."
    ) }}
  {%- endif -%}
  case
    when {{ lift_high }} < {{ suppress_below }} then 'suppress'
    when {{ lift_low }} > {{ push_above }} then 'push'
    else 'neutral'
  end
{% endmacro %}
