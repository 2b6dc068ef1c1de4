-- Response to the last campaign per segment of the campaign case: customers, responders,
-- response rate, lift over the overall rate and mean total spend (see seg_response_by_segment).
{{ config(enabled=seg_case_selected('campaign')) }}

{{ seg_response_by_segment(
    'campaign',
    var('segmentation')['campaign']['response_model']['target_column'],
    ['total_spend'],
) }}
