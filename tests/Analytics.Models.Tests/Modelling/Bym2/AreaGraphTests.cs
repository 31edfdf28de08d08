using Analytics.Models.Modelling.Bym2;

namespace Analytics.Models.Tests.Modelling.Bym2;

public class AreaGraphTests
{
    [Fact]
    public void two_linked_areas_have_a_scaling_factor_of_one_quarter_by_hand()
    {
        // R = [[1, −1], [−1, 1]]; its Moore–Penrose inverse is R/4, so both marginal variances are 1/4.
        var graph = AreaGraph.Create(["a", "b"], [[1], [0]]);
        Assert.All(graph.ScalingFactors(), s => Assert.Equal(0.25, s, 12));
    }

    [Fact]
    public void each_component_is_scaled_on_its_own_and_a_singleton_has_no_factor()
    {
        // A 4 × 4 grid, a path of three, and an island: factors from a dense pseudo-inverse per component,
        // (R + J/m)⁻¹ − J/m (the null space of a connected R is the constant vector).
        var codes = Enumerable.Range(0, 16 + 3 + 1).Select(i => $"a{i}").ToArray();
        var lists = codes.Select(_ => new List<int>()).ToArray();
        void Link(int i, int j) { lists[i].Add(j); lists[j].Add(i); }
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 4; c++)
            {
                if (c < 3) Link(r * 4 + c, r * 4 + c + 1);
                if (r < 3) Link(r * 4 + c, (r + 1) * 4 + c);
            }
        Link(16, 17);
        Link(17, 18);
        var graph = AreaGraph.Create(codes, lists);

        var scaling = graph.ScalingFactors();

        Assert.Equal(3, graph.ComponentSizes.Count);
        Assert.Equal(DenseScaling(lists, [.. Enumerable.Range(0, 16)]), scaling[0], 10);
        Assert.Equal(DenseScaling(lists, [16, 17, 18]), scaling[17], 10);
        Assert.All(Enumerable.Range(0, 16), i => Assert.Equal(scaling[0], scaling[i]));
        Assert.True(double.IsNaN(scaling[19]));
        // Path of three by hand: R⁺ has diagonal (5/9, 2/9, 5/9); geometric mean (50/729)^(1/3).
        Assert.Equal(Math.Cbrt(50.0 / 729), scaling[16], 12);
    }

    [Fact]
    public void a_one_way_link_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => AreaGraph.Create(["a", "b"], [[1], []]));
        Assert.Contains("not the other way round", error.Message);
    }

    private static double DenseScaling(List<int>[] lists, int[] members)
    {
        var m = members.Length;
        var at = members.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        var a = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            a[i, i] = lists[members[i]].Count + 1.0 / m;
            for (var j = 0; j < m; j++)
                if (j != i)
                    a[i, j] = (lists[members[i]].Contains(members[j]) ? -1 : 0) + 1.0 / m;
        }
        // Gauss–Jordan inverse of the positive definite R + J/m, diagonal only needed.
        var inverse = new double[m, m];
        for (var i = 0; i < m; i++) inverse[i, i] = 1;
        for (var col = 0; col < m; col++)
        {
            var pivot = a[col, col];
            for (var j = 0; j < m; j++) { a[col, j] /= pivot; inverse[col, j] /= pivot; }
            for (var i = 0; i < m; i++)
            {
                if (i == col) continue;
                var f = a[i, col];
                for (var j = 0; j < m; j++) { a[i, j] -= f * a[col, j]; inverse[i, j] -= f * inverse[col, j]; }
            }
        }
        return Math.Exp(Enumerable.Range(0, m).Average(i => Math.Log(inverse[i, i] - 1.0 / m)));
    }
}
