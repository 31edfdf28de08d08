using System.Xml.Linq;
using Analytics.Jobs.Accounts;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Analytics.Api.Access;

/// <summary>The data-protection key ring in the database (<see cref="DataProtectionKeys"/>): every API process reads the cookies the others wrote.</summary>
internal sealed class DatabaseXmlRepository(DataProtectionKeys keys) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => keys.ReadAll().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) => keys.Store(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}
