using System.Threading.Tasks;

namespace Accounts;

public interface IUserStore
{
    Task SaveAsync(string user);
    Task<int> CountAsync();
}

internal sealed class Registration
{
    private readonly IUserStore _users;

    public Registration(IUserStore users) => _users = users;

    public Task<int> RegisterAsync(string user)
    {
        _users.SaveAsync(user);
        return _users.CountAsync();
    }
}
