namespace Analytics.Models.Fairness;

/// <summary>
/// The judgement of one metric, one group or a whole report. A group too small to judge is
/// <see cref="InsufficientEvidence"/>, never <see cref="Pass"/>.
/// </summary>
public enum Verdict
{
    /// <summary>The ratio's confidence interval lies inside the tolerance.</summary>
    Pass,

    /// <summary>The interval straddles a tolerance bound: neither shown fair nor shown unfair.</summary>
    Warn,

    /// <summary>The interval lies wholly outside the tolerance.</summary>
    Fail,

    /// <summary>Too few territories, cases or denominator events (in the group or its reference) to judge.</summary>
    InsufficientEvidence,

    /// <summary>Not judged: the reference group itself, or a metric the policy reports without judging.</summary>
    NotJudged,
}

/// <summary>How verdicts combine.</summary>
public static class Verdicts
{
    /// <summary>
    /// The overall verdict of several: <see cref="Verdict.Fail"/> &gt; <see cref="Verdict.InsufficientEvidence"/>
    /// &gt; <see cref="Verdict.Warn"/> &gt; <see cref="Verdict.Pass"/>; <see cref="Verdict.NotJudged"/> is ignored,
    /// and is the result only when nothing was judged. Insufficient evidence outranks a warning because
    /// "we could not look" must never read better than "we looked and it is borderline".
    /// </summary>
    public static Verdict Combine(IEnumerable<Verdict> verdicts)
    {
        var result = Verdict.NotJudged;
        foreach (var v in verdicts)
            if (Rank(v) > Rank(result))
                result = v;
        return result;
    }

    private static int Rank(Verdict v) => v switch
    {
        Verdict.NotJudged => 0,
        Verdict.Pass => 1,
        Verdict.Warn => 2,
        Verdict.InsufficientEvidence => 3,
        Verdict.Fail => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, null),
    };
}
