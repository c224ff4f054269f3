//! Synthetic agreements of any size, for benchmarks and stress tests.

use std::fmt::Write;

/// A valid agreement with `obligations` obligations beyond a realistic core: two
/// parties, the quota chain, banded and plain promises, `requires` chains and remedies.
pub fn agreement(obligations: usize) -> String {
    let mut text = String::with_capacity(200 * obligations + 2_000);
    text.push_str(
        r#"agreement "Generated" {
  summary "A synthetic agreement for benchmarks."
  kind internal
  period month in "Europe/Berlin"
  effective 2026-01-01 to 2026-12-31

  party marketing { contact "Head of Marketing" <marketing@example.com> }
  party sales     { contact "Head of Sales" <sales@example.com> }

  input sales_quota     = 5000 EUR
  input marketing_share = 100%
  input avg_deal_size   = 100 EUR
  input close_rate      = recalculated customers / mqls over 3 periods else 50%

  let leads_needed = sales_quota * marketing_share / avg_deal_size / close_rate

  metric mqls: count
  metric customers: count
  metric follow_up_time: duration

  remedy review { action "Review the campaign mix" responsible marketing }
  remedy strike { action "Joint root-cause review" responsible marketing, sales strike }
"#,
    );
    for i in 0..obligations {
        let requires = if i % 10 == 0 {
            String::new()
        } else {
            format!("    requires obligation_{}\n", i - 1)
        };
        // Writing into a String cannot fail.
        let _ = match i % 3 {
            0 => write!(
                text,
                "\n  obligation obligation_{i} {{\n    by marketing for sales\n{requires}    promise mqls >= leads_needed\n    bands {{\n      met     when mqls >= leads_needed\n      at_risk when mqls >= 90% * leads_needed  remedy review\n      missed                                   remedy strike\n    }}\n  }}\n"
            ),
            1 => write!(
                text,
                "\n  obligation obligation_{i} {{\n    by sales for marketing\n{requires}    promise follow_up_time <= 1h\n    remedy strike\n  }}\n"
            ),
            _ => write!(
                text,
                "\n  obligation obligation_{i} {{\n    by sales for marketing\n{requires}    promise customers >= {} \n    remedy strike\n  }}\n",
                i % 50 + 1
            ),
        };
    }
    text.push_str("\n  terminate when any obligation missed 3 periods in a row\n}\n");
    text
}

/// An agreement of `obligations` obligations, each promising something about a metric
/// of its own, and a metrics CSV with one value per metric for each of `months` months
/// from January 2024: the shape of a large agreement evaluated over years.
pub fn evaluated(obligations: usize, months: usize) -> (String, String) {
    let years = months.div_ceil(12).max(1);
    let mut text = format!(
        r#"agreement "Generated evaluation" {{
  summary "A synthetic agreement for benchmarks."
  kind internal
  period month in "Europe/Berlin"
  effective 2024-01-01 to {}-12-31

  party marketing {{ contact "Head of Marketing" <marketing@example.com> }}
  party sales     {{ contact "Head of Sales" <sales@example.com> }}

  input target = 100
  input rate   = recalculated metric_0 / 100 over 3 periods else 100%

  remedy strike {{ action "Joint root-cause review" responsible marketing, sales strike }}
"#,
        2023 + years
    );
    for i in 0..obligations {
        let requires = if i % 10 == 0 {
            String::new()
        } else {
            format!(" requires obligation_{}", i - 1)
        };
        let _ = write!(
            text,
            "\n  metric metric_{i}: count\n  obligation obligation_{i} {{\n    by marketing for sales{requires}\n    promise metric_{i} >= target * rate\n    bands {{\n      met     when metric_{i} >= target * rate\n      at_risk when metric_{i} >= 90% * target * rate\n      missed  remedy strike\n    }}\n  }}\n"
        );
    }
    text.push_str("\n  terminate when any obligation missed 3 periods in a row\n}\n");
    let mut csv = String::from("period,metric,value\n");
    for m in 0..months {
        let (year, month) = (2024 + m / 12, m % 12 + 1);
        for i in 0..obligations {
            // A deterministic spread of values around the target.
            let value = 80 + (i * 7 + m * 13) % 40;
            let _ = writeln!(csv, "{year}-{month:02},metric_{i},{value}");
        }
    }
    (text, csv)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    #[test]
    fn generated_agreements_are_valid() {
        let compiled = crate::compile_str("generated.sla", &super::agreement(100));
        assert!(
            compiled.diagnostics.is_empty(),
            "{:?}",
            compiled.diagnostics
        );
        let model = compiled.model().expect("a valid agreement has a model");
        assert_eq!(model.obligations.len(), 100);
        // No tier is declared: each obligation's tier is `by -> for`.
        assert!(model.obligations.iter().all(|o| o.tier.contains("->")));
    }
}
