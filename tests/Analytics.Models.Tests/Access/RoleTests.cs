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
}
