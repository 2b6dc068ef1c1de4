{% macro seg_membership_changes() %}
  {#- Scores rows written since segment_membership_history last opened a period: the only customers
      whose segment can differ from their open period (a superset: rows checked before are harmless). -#}
  (
    select scores.*
    from {{ ref('int_segment_scores') }} as scores
    where scores.scored_at > (select coalesce(max(periods.valid_from), cast('1900-01-01' as timestamp)) from {{ this }} as periods)
  )
{%- endmacro %}


{% macro seg_close_membership_periods() %}
  {#- Pre-hook of segment_membership_history: ends (valid_to = this run) the open periods that no
      longer hold. Movers are found among the rows scored since the last change (none: no update);
      leavers (customers gone from the scores) need a scan of every open period, so that update runs
      only when the counts say some customer left: open periods - (scored customers - newcomers) > 0. -#}
  {%- if is_incremental() -%}
    {%- set scores = ref('int_segment_scores') -%}
    {%- set counts = run_query(
        "select count(*) as changed, count(*) filter (where not exists ("
        ~ " select 1 from " ~ this ~ " as periods where periods.valid_to is null"
        ~ " and periods.case_name = changed.case_name and periods.customer_id = changed.customer_id))"
        ~ " + (select count(*) from " ~ this ~ " where valid_to is null)"
        ~ " - (select count(*) from " ~ scores ~ ") as leavers"
        ~ " from " ~ customer_segmentation.seg_membership_changes() ~ " as changed"
      ).rows[0] -%}
    {%- if counts[0] > 0 %}
    update {{ this }} as history
    set valid_to = {{ customer_segmentation.seg_run_timestamp() }}
    where
      history.valid_to is null
      -- Implied by the exists below; lets DuckDB probe the few changed ids instead of planning a
      -- correlated join over every open period (10M periods, 1 % changed: 2.6 s -> 0.7 s).
      and history.customer_id in (select changes.customer_id from {{ customer_segmentation.seg_membership_changes() }} as changes)
      and exists (
        select 1
        from {{ customer_segmentation.seg_membership_changes() }} as changed
        where
          changed.case_name = history.case_name
          and changed.customer_id = history.customer_id
          and changed.segment_id != history.segment_id
      );
    {%- endif %}
    {%- if counts[1] > 0 %}
    update {{ this }} as history
    set valid_to = {{ customer_segmentation.seg_run_timestamp() }}
    where
      history.valid_to is null
      -- The leavers by an outer join: DuckDB plans a correlated `not exists` over every open period
      -- as a delim join (10M open periods: 4.2 s; this: 1.3 s).
      and (history.case_name, history.customer_id) in (
        select open_periods.case_name, open_periods.customer_id
        from {{ this }} as open_periods
        left join {{ scores }} as scores
          on scores.case_name = open_periods.case_name and scores.customer_id = open_periods.customer_id
        where open_periods.valid_to is null and scores.customer_id is null
      );
    {%- endif %}
  {%- endif -%}
{% endmacro %}
