using Analytics.Models.Access;

namespace Analytics.Models.Tests.Access;

public class RoleTests
{
    [Fact]
    public void the_six_roles_of_the_design_are_known_and_nothing_else()
    {
        Assert.Equal(["analyst", "planner", "reviewer", "auditor", "steward", "admin"], Role.All);
        Assert.True(Role.IsKnown("reviewer"));
        Assert.False(Role.IsKnown("Reviewer"));
        Assert.False(Role.IsKnown("root"));
    }

    [Fact]
    public void reviewers_auditors_stewards_and_admins_need_a_second_factor_and_analysts_and_planners_do_not()
    {
        Assert.True(Role.RequireSecondFactor(["analyst", "reviewer"]));
        Assert.True(Role.RequireSecondFactor(["auditor"]));
        Assert.True(Role.RequireSecondFactor(["steward"]));
        Assert.True(Role.RequireSecondFactor(["admin"]));
        Assert.False(Role.RequireSecondFactor(["analyst", "planner"]));
        Assert.False(Role.RequireSecondFactor([]));
    }
}
