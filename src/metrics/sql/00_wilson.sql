-- The 95 % Wilson score interval of k successes in n trials, as fractions (NULL when n is unknown or 0), with
-- z = 1.959963984540054: centre = (p + z²/2n) / (1 + z²/n),
-- half width = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n).
-- Unlike p ± z·sqrt(p(1−p)/n) it stays inside [0, 1] and is not zero-width at 0 % or 100 %.
CREATE OR REPLACE MACRO wilson_centre(k, n) AS
  (k::DOUBLE / n + pow(1.959963984540054, 2) / (2 * n)) / (1 + pow(1.959963984540054, 2) / n);

CREATE OR REPLACE MACRO wilson_half(k, n) AS
  1.959963984540054 * sqrt((k::DOUBLE / n) * (1 - k::DOUBLE / n) / n + pow(1.959963984540054, 2) / (4 * n::DOUBLE * n))
  / (1 + pow(1.959963984540054, 2) / n);

CREATE OR REPLACE MACRO wilson_low(k, n) AS
  CASE WHEN n > 0 AND k IS NOT NULL THEN greatest(0.0, wilson_centre(k, n) - wilson_half(k, n)) END;

CREATE OR REPLACE MACRO wilson_high(k, n) AS
  CASE WHEN n > 0 AND k IS NOT NULL THEN least(1.0, wilson_centre(k, n) + wilson_half(k, n)) END;

-- The Wilson upper bound for any z (wilson_high is z_of(0.025)); z_upper_tail(p) is the z whose upper-tail normal
-- probability is p, by Abramowitz & Stegun 26.2.23 (error < 4.5e-4, for 0 < p ≤ 0.5).
CREATE OR REPLACE MACRO z_upper_tail(p) AS
  sqrt(-2 * ln(p)) - (2.515517 + 0.802853 * sqrt(-2 * ln(p)) + 0.010328 * (-2 * ln(p)))
  / (1 + 1.432788 * sqrt(-2 * ln(p)) + 0.189269 * (-2 * ln(p)) + 0.001308 * pow(sqrt(-2 * ln(p)), 3));

CREATE OR REPLACE MACRO wilson_high_z(k, n, z) AS
  CASE WHEN n > 0 AND k IS NOT NULL THEN least(1.0,
    (k::DOUBLE / n + z * z / (2 * n)
     + z * sqrt((k::DOUBLE / n) * (1 - k::DOUBLE / n) / n + z * z / (4 * n::DOUBLE * n)))
    / (1 + z * z / n)) END;
