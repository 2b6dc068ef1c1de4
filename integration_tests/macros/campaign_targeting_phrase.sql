{% macro campaign_targeting_phrase(prefix, action, side, threshold, level) -%}
    {#- For campaign__targeting_summary: "suppress 1 segment whose 95% lift interval lies below 0.5 (n customers,
        x% of all, holding y% of responders)" from its columns <prefix>_*, or null when no segment is. -#}
    case
        when segments_{{ prefix }} > 0
            then
                '{{ action }} ' || segments_{{ prefix }}
                || case when segments_{{ prefix }} = 1 then ' segment' else ' segments' end
                || {{ customer_segmentation.seg_literal(
                    " whose " ~ level ~ " lift interval lies " ~ side ~ " " ~ threshold ~ " ("
                ) }}
                || printf(
                    '%d customers, %.1f%% of all, holding %.1f%% of responders)',
                    customers_{{ prefix }},
                    100 * {{ prefix }}_customer_share,
                    100 * coalesce({{ prefix }}_responder_share, 0)
                )
    end
{% endmacro %}
