using GraphQL.Types;
using StudyGuru.Application.Accounts.Common;

namespace StudyGuru.WebApi.GraphQL.Schema;

public sealed class AccountType : ObjectGraphType<AccountDto>
{
    public AccountType()
    {
        Name = "Account";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<StringGraphType>>("email").Resolve(c => c.Source.Email);
        Field<StringGraphType>("first_name").Resolve(c => c.Source.FirstName);
        Field<StringGraphType>("last_name").Resolve(c => c.Source.LastName);
        Field<NonNullGraphType<IntGraphType>>("current_points").Resolve(c => c.Source.CurrentPoints);
        Field<NonNullGraphType<IntGraphType>>("total_points_earned").Resolve(c => c.Source.TotalPointsEarned);
        Field<NonNullGraphType<IntGraphType>>("total_points_used").Resolve(c => c.Source.TotalPointsUsed);
    }
}
