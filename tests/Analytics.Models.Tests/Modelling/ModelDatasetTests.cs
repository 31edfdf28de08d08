using Analytics.Models.Modelling;

namespace Analytics.Models.Tests.Modelling;

public class ModelDatasetTests
{
    private static readonly string[] Names = ["pm25", "deprivation"];

    private static ModelRow Row(string territory, double pm25, double deprivation, double cases = 3, double population = 1_000) =>
        new(territory, "2021", "b1", cases, population, null, [pm25, deprivation]);

    private static readonly ModelRow[] Valid = [Row("A", 8, 0.1), Row("B", 10, -0.4), Row("C", 12, 0.9), Row("D", 9, 0.0)];

    [Fact]
    public void valid_rows_are_kept_in_order_with_their_feature_names()
    {
        var data = ModelDataset.Create(Names, Valid);

        Assert.Equal(Names, data.FeatureNames);
        Assert.Equal(["A", "B", "C", "D"], data.Rows.Select(r => r.Territory));
        Assert.False(data.HasExpectedCases);
    }

    [Fact]
    public void no_rows_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, []));
        Assert.Contains("no rows", error.Message);
    }

    [Fact]
    public void a_missing_feature_value_is_refused_naming_the_territory_and_the_feature()
    {
        ModelRow[] rows = [.. Valid[..3], Row("D", 9, double.NaN)];

        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, rows));

        Assert.Contains("territory D", error.Message);
        Assert.Contains("deprivation", error.Message);
    }

    [Fact]
    public void a_negative_or_zero_population_is_refused()
    {
        var negative = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, [.. Valid[..3], Row("D", 9, 0, population: -5)]));
        var zero = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, [.. Valid[..3], Row("D", 9, 0, population: 0)]));

        Assert.Contains("population -5", negative.Message);
        Assert.Contains("population 0", zero.Message);
    }

    [Fact]
    public void negative_cases_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, [.. Valid[..3], Row("D", 9, 0, cases: -1)]));
        Assert.Contains("cases -1", error.Message);
    }

    [Fact]
    public void expected_cases_on_some_rows_only_are_refused()
    {
        ModelRow[] rows = [.. Valid[..3], Valid[3] with { ExpectedCases = 2.5 }];

        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, rows));

        Assert.Contains("every row or on none", error.Message);
    }

    [Fact]
    public void the_same_territory_and_period_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, [.. Valid, Row("B", 11, 0.2)]));
        Assert.Contains("territory B, period 2021 appears twice", error.Message);
    }

    [Fact]
    public void a_feature_that_never_varies_is_refused_by_name()
    {
        ModelRow[] rows = [Row("A", 8, 1), Row("B", 10, 1), Row("C", 12, 1)];

        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, rows));

        Assert.Contains("deprivation", error.Message);
    }

    [Fact]
    public void a_feature_that_is_a_combination_of_others_is_refused_by_name()
    {
        // total = pm25 + 2 × deprivation exactly.
        ModelRow[] rows = [.. Valid.Select(r => r with { Features = [r.Features[0], r.Features[1], r.Features[0] + 2 * r.Features[1]] })];

        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(["pm25", "deprivation", "total"], rows));

        Assert.Contains("'total'", error.Message);
        Assert.Contains("collinear", error.Message);
    }

    [Fact]
    public void a_row_with_the_wrong_number_of_features_is_refused()
    {
        ModelRow[] rows = [.. Valid[..3], Valid[3] with { Features = [1.0] }];

        var error = Assert.Throws<ArgumentException>(() => ModelDataset.Create(Names, rows));

        Assert.Contains("1 feature values for 2 feature names", error.Message);
    }
}
